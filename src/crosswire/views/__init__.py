"""View models shared by the static HTML report and the web app."""
