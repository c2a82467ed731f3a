"""Notifications: in-app messages, e-mail (Django's mail backends) and outgoing webhooks
with signed payloads. Sending runs as jobs, so a slow mail server or a receiver that is
down is retried with back-off and never blocks a request. Use ``actions.notify`` and
``actions.emit``."""
