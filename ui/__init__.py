"""Qt user interface. Talks to app/ only through domain operations run off the UI thread."""
