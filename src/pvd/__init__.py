"""PVD: Petites villes de demain platform."""
