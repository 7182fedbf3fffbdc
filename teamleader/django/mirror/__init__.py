"""Teamleader's contacts, companies and deals as Django models, kept current.

Add ``"teamleader.django.mirror"`` to ``INSTALLED_APPS`` after ``"teamleader.django"``, run
``manage.py migrate`` and ``manage.py teamleader_sync``, and register the webhooks with
``manage.py teamleader_webhooks register --base-url https://your.site --mirror``. Then read
``teamleader.django.mirror.models.Contact`` & co. like any model; see docs/django/mirror.md.
"""
