from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
api_tokens_router = APIRouter(prefix="/api/v1/api-tokens", tags=["api tokens"])
