BASE = "n/<slug:network_slug>/innovations/"
ONE = BASE + "<int:innovation_id>/"
