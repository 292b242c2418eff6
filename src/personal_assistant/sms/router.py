from fastapi import APIRouter

router = APIRouter(prefix="/webhooks/twilio", tags=["twilio webhooks"])
