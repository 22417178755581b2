from ninja import NinjaAPI

api = NinjaAPI(title="pledgewatch API", version="1", urls_namespace="api")
