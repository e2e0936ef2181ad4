BASE = "n/<slug:network_slug>/surveys/"
ONE = BASE + "<int:survey_id>/"
