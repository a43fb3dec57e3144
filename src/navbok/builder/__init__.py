"""The build machine: planning, staging, executing chapters, rendering, the landing page."""
