"""The survey pages, one module per screen family: building (leads),
answering (respondents) and results. Every path starts with BASE; one
survey's pages with ONE."""

from .answering import urlpatterns as answering
from .building import urlpatterns as building
from .results import urlpatterns as results

urlpatterns = [*building, *results, *answering]
