"""Infrastructure of the pages and the API: sessions per request, the caller, rendering."""
