from . import views, views_pages

# The import pages first: "import" is not an indicator.
urlpatterns = [*views.urlpatterns, *views_pages.urlpatterns]

__all__ = ["urlpatterns"]
