from ninja import NinjaAPI

api = NinjaAPI(
    title="msknet API",
    version="1",
    description="Networks, organisations, members and join requests.",
    urls_namespace="api",
)
