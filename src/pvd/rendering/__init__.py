"""Rendering helpers below the apps (issue 17): the Jinja2 environment of the page bodies the
apps render on every first visit (portrait, commune page) and the French formatting filters it
shares with the Django templates. No app, no page: the apps and pvd.web build on it."""
