BASE = "n/<slug:network_slug>/services/"
ONE = BASE + "<int:service_id>/"
LANDSCAPE = "n/<slug:network_slug>/landscape/"
