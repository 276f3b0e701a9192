"""The network of programme towns (issue 15): directory of laureate towns and their project
managers, peers working on the same theme, practices ("fiches expériences"), and the club's
meetings (events, registrations, calendars)."""
