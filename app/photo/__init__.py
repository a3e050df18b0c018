"""Photo station: analysis of camera frames, the 45×35 mm crop, print sheets and the
facts kept about photos. Pure numpy/OpenCV/reportlab; no Qt. Photos live in memory
only (see docs/photo.md)."""
from app.photo import messages as _messages  # noqa: F401 - registers the PHOTO_* error codes
