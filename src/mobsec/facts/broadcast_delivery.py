"""Which system broadcasts still reach a receiver declared in the manifest.

Since Android 8.0 (API 26) an app that targets API 26+ gets no implicit broadcast in its
manifest receivers unless the broadcast names the app, or the action is on the exemption
list ("Implicit broadcast exceptions",
https://developer.android.com/guide/components/broadcast-exceptions: boot, user init,
time/timezone/alarm-clock, locale, USB, Bluetooth connection, telephony, accounts,
package data cleared / fully removed, outgoing call, device owner, calendar reminder,
media mount events, SMS/WAP push). ``CONNECTIVITY_ACTION`` stopped reaching manifest
receivers one release earlier, for apps targeting API 24+ (Android 7.0 behaviour changes).

Only actions known to be implicit platform broadcasts are judged here; any other action
(the app's own, a vendor's such as ``QUICKBOOT_POWERON``, an explicit one) may still be
delivered, so it is kept.
"""

from __future__ import annotations

# Implicit platform broadcasts that are NOT on the exemption list, with the first
# targetSdkVersion whose manifest receivers no longer get them. The page above notes that
# package broadcasts other than PACKAGE_DATA_CLEARED / PACKAGE_FULLY_REMOVED (e.g.
# PACKAGE_REPLACED) are deliberately not exempt.
NOT_DELIVERED_FROM_TARGET: dict[str, int] = {
    "android.net.conn.CONNECTIVITY_CHANGE": 24,
    "android.intent.action.USER_PRESENT": 26,
    "android.intent.action.REBOOT": 26,
    "android.intent.action.ACTION_POWER_CONNECTED": 26,
    "android.intent.action.ACTION_POWER_DISCONNECTED": 26,
    "android.intent.action.BATTERY_LOW": 26,
    "android.intent.action.BATTERY_OKAY": 26,
    "android.intent.action.PACKAGE_ADDED": 26,
    "android.intent.action.PACKAGE_REMOVED": 26,
    "android.intent.action.PACKAGE_REPLACED": 26,
    "android.intent.action.PACKAGE_RESTARTED": 26,
    "android.intent.action.AIRPLANE_MODE": 26,
    "android.net.wifi.STATE_CHANGE": 26,
    "android.net.wifi.WIFI_STATE_CHANGED": 26,
    "android.net.wifi.SCAN_RESULTS": 26,
    "android.bluetooth.adapter.action.STATE_CHANGED": 26,
}

# The exemption list itself (for readers and tests: these stay delivered at any target).
EXEMPT_ACTIONS = frozenset(
    {
        "android.intent.action.LOCKED_BOOT_COMPLETED",
        "android.intent.action.BOOT_COMPLETED",
        "android.intent.action.USER_INITIALIZE",
        "android.intent.action.USER_ADDED",
        "android.intent.action.USER_REMOVED",
        "android.intent.action.TIME_SET",
        "android.intent.action.TIMEZONE_CHANGED",
        "android.app.action.NEXT_ALARM_CLOCK_CHANGED",
        "android.intent.action.LOCALE_CHANGED",
        "android.hardware.usb.action.USB_ACCESSORY_ATTACHED",
        "android.hardware.usb.action.USB_ACCESSORY_DETACHED",
        "android.hardware.usb.action.USB_DEVICE_ATTACHED",
        "android.hardware.usb.action.USB_DEVICE_DETACHED",
        "android.bluetooth.headset.profile.action.CONNECTION_STATE_CHANGED",
        "android.bluetooth.a2dp.profile.action.CONNECTION_STATE_CHANGED",
        "android.bluetooth.device.action.ACL_CONNECTED",
        "android.bluetooth.device.action.ACL_DISCONNECTED",
        "android.telephony.action.CARRIER_CONFIG_CHANGED",
        "android.intent.action.PHONE_STATE",
        "android.telecom.action.PHONE_ACCOUNT_REGISTERED",
        "android.telecom.action.PHONE_ACCOUNT_UNREGISTERED",
        "android.accounts.LOGIN_ACCOUNTS_CHANGED",
        "android.accounts.action.ACCOUNT_REMOVED",
        "android.intent.action.PACKAGE_DATA_CLEARED",
        "android.intent.action.PACKAGE_FULLY_REMOVED",
        "android.intent.action.NEW_OUTGOING_CALL",
        "android.app.action.DEVICE_OWNER_CHANGED",
        "android.intent.action.EVENT_REMINDER",
        "android.intent.action.MEDIA_MOUNTED",
        "android.intent.action.MEDIA_CHECKING",
        "android.intent.action.MEDIA_UNMOUNTED",
        "android.intent.action.MEDIA_EJECT",
        "android.intent.action.MEDIA_UNMOUNTABLE",
        "android.intent.action.MEDIA_REMOVED",
        "android.intent.action.MEDIA_BAD_REMOVAL",
        "android.provider.Telephony.SMS_RECEIVED",
        "android.provider.Telephony.WAP_PUSH_RECEIVED",
    }
)


def reaches_manifest_receiver(action: str, target_sdk: int) -> bool:
    """Whether the system still delivers ``action`` to a manifest receiver of an app with
    this targetSdkVersion (unknown actions: yes, they may be explicit or exempt)."""
    if action in EXEMPT_ACTIONS:
        return True
    first = NOT_DELIVERED_FROM_TARGET.get(action)
    return first is None or target_sdk < first
