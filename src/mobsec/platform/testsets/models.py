"""Labelled test sets, products (with their rule-id → weakness-class mapping tables) and
imported result sets, each scored against one test set."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField


class TestSet(models.Model):
    """Packages and the weaknesses expected in each (``packages``: the parsed file)."""

    __test__ = False  # not a pytest test class despite its name

    public_id = PublicIdField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    packages = models.JSONField()  # [{name, sha256, app_id, weaknesses: [{class, location}]}]
    source_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Product(models.Model):
    """A security product scored on test sets; ``mapping``: rule id → weakness classes."""

    public_id = PublicIdField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    mapping = models.JSONField()  # {rule id or family ending in '.': [class, ...]}
    builtin = models.BooleanField(default=False)  # mobsec itself, with the shipped mapping
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="product_name_once")
        ]


class ResultSet(models.Model):
    """One product version's results on one test set, as imported (never re-parsed)."""

    public_id = PublicIdField()
    testset = models.ForeignKey(TestSet, on_delete=models.CASCADE, related_name="result_sets")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="result_sets")
    product_version = models.CharField(max_length=100)
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=16)  # sarif, json, platform
    results = models.JSONField()  # [{package, rule, location}]
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product__name", "-imported_at"]
