"""Hardware backends (camera, printer) behind one small interface per kind. Filled by the photo-station issue."""
