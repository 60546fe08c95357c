"""Serve a store: the REST API and the dashboard (``redline serve``); the app is
``redline.serve.app.create_app``."""
