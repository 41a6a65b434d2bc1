from django.conf import settings


def eservice(request) -> dict:
    if not request.path.startswith("/e-tjanst/"):
        return {}
    return {
        "eservice_languages": settings.VAGEN_ESERVICE_LANGUAGES,
        "idle_minutes": settings.VAGEN_ESERVICE_IDLE_TIMEOUT_MINUTES,
        "municipality_name": settings.VAGEN_MUNICIPALITY_NAME,
    }
