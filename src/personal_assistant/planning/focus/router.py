from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/focus-sessions", tags=["focus sessions"])
