"""The innovations pages, one module per screen family.

Every path starts with BASE; an innovation's own pages with ONE.
"""

from .adoption import urlpatterns as adoption
from .records import urlpatterns as records
from .screening import urlpatterns as screening

urlpatterns = [*records, *screening, *adoption]
