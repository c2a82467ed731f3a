"""REST API of notifications: a user's own, never anyone else's."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import actions
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read"]

    def get_title(self, n: Notification) -> str:
        return n.title(get_language() or "zh-hans")

    def get_body(self, n: Notification) -> str:
        return n.body(get_language() or "zh-hans")

    def get_read(self, n: Notification) -> bool:
        return n.read_at is not None


@extend_schema(parameters=[OpenApiParameter("unread", bool, required=False)])
class NotificationList(generics.ListAPIView):
    """Your notifications, newest first, in your language (``?unread=1``: unread only)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("-created_at", "-id")


class MarkReadRequest(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=1000
    )


class MarkReadResponse(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationsRead(APIView):
    """Mark your notifications read: those named in ``ids``, or all of them."""

    @extend_schema(request=MarkReadRequest, responses=MarkReadResponse)
    def post(self, request):
        body = MarkReadRequest(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"marked": actions.mark_read(request.user, body.validated_data.get("ids"))})
