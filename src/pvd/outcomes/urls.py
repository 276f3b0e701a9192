"""The outcomes' pages under /resultats/."""

app_name = "outcomes"
urlpatterns: list = []
