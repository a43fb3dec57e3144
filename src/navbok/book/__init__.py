"""The publishing machine: parameters, chapter execution, rendering, the landing page."""
