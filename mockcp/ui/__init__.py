"""The partner dashboard: a small WSGI app with its static page and JSON views.

``views`` builds the page's data from the same domain functions the SOAP operations call
(``get_load``, ``station_loads``, ``search_sessions``, ``port_status``); ``app`` serves
``static/`` and ``/api/*`` (mounted at ``/_mock/ui/``).
"""
