"""The landscape pages, one module per screen family.

Services' own pages start with BASE (ONE for one service); the pathway,
variation and map pages with LANDSCAPE.
"""

from .confirmation import urlpatterns as confirmation
from .imports import urlpatterns as imports
from .pathways import urlpatterns as pathways
from .services import urlpatterns as services

urlpatterns = [*confirmation, *imports, *pathways, *services]
