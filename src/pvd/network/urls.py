"""The network's pages under /reseau/: each feature appends its own patterns."""

app_name = "network"
urlpatterns: list = []
