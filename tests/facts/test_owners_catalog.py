"""The SDK catalog file: schema-valid, large enough, unambiguous, bilingual, covering the
SDKs reviewers meet most (each checked with a real class name from that SDK)."""

from __future__ import annotations

import re
from collections import Counter

import jsonschema
import pytest

from mobsec.facts.owners import SdkCatalog, load_catalog_json, load_catalog_schema

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def doc() -> dict:
    return load_catalog_json()


@pytest.fixture(scope="module")
def catalog() -> SdkCatalog:
    return SdkCatalog.load()


def test_catalog_is_schema_valid(doc: dict) -> None:
    schema = load_catalog_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)
    ]
    assert errors == []


def test_schema_rejects_a_broken_entry(doc: dict) -> None:
    """The schema is not a rubber stamp: a prefix without its dot and a missing zh text fail."""
    schema = load_catalog_schema()
    bad = dict(doc["sdks"][0], packages=["com.umeng"], name={"en": "x"})
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({**doc, "sdks": [bad]}))
    assert len(errors) == 2


def test_size_and_unique_ids(catalog: SdkCatalog) -> None:
    print(f"catalog {catalog.version}: {len(catalog)} SDKs")
    assert len(catalog) >= 200
    ids = Counter(s.id for s in catalog)
    assert [i for i, n in ids.items() if n > 1] == []


def test_no_prefix_listed_twice(catalog: SdkCatalog) -> None:
    owners = Counter(p for s in catalog for p in s.packages)
    owners.update(catalog.platform_packages)
    assert [p for p, n in owners.items() if n > 1] == []


def test_every_text_is_bilingual(catalog: SdkCatalog) -> None:
    for sdk in catalog:
        for field in ("name", "vendor", "purpose"):
            text = getattr(sdk, field)
            assert text["en"].strip() and text["zh-CN"].strip(), (sdk.id, field)
            assert not CJK.search(text["en"]), (sdk.id, field, "Chinese in the English text")
        # Chinese purpose texts are written in Chinese, not left in English.
        assert CJK.search(sdk.purpose["zh-CN"]), sdk.id


def test_pi_related_for_personal_information_categories(catalog: SdkCatalog) -> None:
    pi_categories = {"analytics", "push", "advertising", "attribution", "device-id", "social"}
    pi_categories.add("maps-location")
    wrong = [s.id for s in catalog if s.category in pi_categories and not s.pi_related]
    assert wrong == []
    # and libraries that read nothing personal are not flagged
    for sdk_id in ("okhttp", "glide", "google-gson", "kotlin-stdlib", "androidx-core"):
        assert catalog.get(sdk_id) is not None and not catalog.get(sdk_id).pi_related


# One real class per SDK the brief names: (class, expected SDK id).
KNOWN_CLASSES = [
    ("Lcom/umeng/analytics/MobclickAgent;", "umeng-analytics"),
    ("Lcom/umeng/commonsdk/UMConfigure;", "umeng-common"),
    ("Lcom/umeng/message/PushAgent;", "umeng-push"),
    ("Lcn/jpush/android/api/JPushInterface;", "jpush"),
    ("Lcom/igexin/sdk/PushManager;", "getui-push"),
    ("Lcom/tencent/bugly/crashreport/CrashReport;", "tencent-bugly"),
    ("Lcom/tencent/smtt/sdk/WebView;", "tencent-x5"),
    ("Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;", "wechat-opensdk"),
    ("Lcom/tencent/tauth/Tencent;", "tencent-open"),
    ("Lcom/alipay/sdk/app/PayTask;", "alipay-sdk"),
    ("Lcom/unionpay/UPPayAssistEx;", "unionpay"),
    ("Lcom/sina/weibo/sdk/WbSdk;", "sina-weibo"),
    ("Lcom/baidu/mapapi/SDKInitializer;", "baidu-map"),
    ("Lcom/baidu/location/LocationClient;", "baidu-location"),
    ("Lcom/baidu/android/pushservice/PushManager;", "baidu-push"),
    ("Lcom/baidu/mobstat/StatService;", "baidu-mobstat"),
    ("Lcom/amap/api/maps/MapView;", "amap-map"),
    ("Lcom/amap/api/location/AMapLocationClient;", "amap-location"),
    ("Lcom/tencent/map/geolocation/TencentLocationManager;", "tencent-location"),
    ("Lcom/tencent/tencentmap/mapsdk/maps/MapView;", "tencent-map"),
    ("Lcom/huawei/hms/push/HmsMessageService;", "hms-push"),
    ("Lcom/huawei/hms/support/account/AccountAuthManager;", "hms-account"),
    ("Lcom/huawei/hms/analytics/HiAnalytics;", "hms-analytics"),
    ("Lcom/xiaomi/mipush/sdk/MiPushClient;", "xiaomi-push"),
    ("Lcom/heytap/msp/push/HeytapPushManager;", "oppo-push"),
    ("Lcom/vivo/push/PushClient;", "vivo-push"),
    ("Lcom/meizu/cloud/pushsdk/PushManager;", "meizu-push"),
    ("Lcom/hihonor/push/sdk/HonorPushClient;", "honor-push"),
    ("Lcom/bun/miitmdid/core/MdidSdkHelper;", "msa-oaid"),
    ("Lcom/bun/supplier/IIdentifierListener;", "msa-oaid"),
    ("Lcom/bytedance/sdk/openadsdk/TTAdSdk;", "pangle"),
    ("Lcom/qq/e/ads/splash/SplashAD;", "tencent-gdt"),
    ("Lcom/kwad/sdk/api/KsAdSDK;", "kuaishou-ads"),
    ("Lcom/baidu/mobads/sdk/api/SplashAd;", "baidu-mobads"),
    ("Lcom/sensorsdata/analytics/android/sdk/SensorsDataAPI;", "sensors-analytics"),
    ("Lcom/growingio/android/sdk/collection/GrowingIO;", "growingio"),
    ("Lcom/tendcloud/tenddata/TCAgent;", "talkingdata"),
    ("Lcom/ishumei/smantifraud/SmAntiFraud;", "shumei"),
    ("Lcn/tongdun/android/shell/FMAgent;", "tongdun"),
    ("Lcom/geetest/sdk/GT3GeetestUtils;", "geetest"),
    ("Lcn/sharesdk/framework/ShareSDK;", "mob-sharesdk"),
    ("Lcn/smssdk/SMSSDK;", "mob-smssdk"),
    ("Lio/rong/imlib/RongIMClient;", "rongcloud"),
    ("Lcom/netease/nimlib/sdk/NIMClient;", "netease-yunxin"),
    ("Lio/agora/rtc/RtcEngine;", "agora"),
    ("Lcom/tencent/imsdk/v2/V2TIMManager;", "tencent-im"),
    ("Lcom/tencent/trtc/TRTCCloud;", "tencent-trtc"),
    ("Lcom/taobao/sophix/SophixManager;", "alibaba-sophix"),
    ("Lcom/tencent/tinker/lib/tinker/Tinker;", "tinker"),
    ("Lcom/qiniu/android/storage/UploadManager;", "qiniu"),
    ("Lcom/alibaba/sdk/android/oss/OSSClient;", "aliyun-oss"),
    ("Lcom/tencent/cos/xml/CosXmlService;", "tencent-cos"),
    ("Lcom/bytedance/applog/AppLog;", "bytedance-applog"),
    ("Lcom/google/firebase/analytics/FirebaseAnalytics;", "firebase-analytics"),
    ("Lcom/google/firebase/messaging/FirebaseMessagingService;", "firebase-messaging"),
    ("Lcom/google/firebase/crashlytics/FirebaseCrashlytics;", "firebase-crashlytics"),
    ("Lcom/google/firebase/auth/FirebaseAuth;", "firebase-auth"),
    ("Lcom/google/firebase/FirebaseApp;", "firebase-core"),
    ("Lcom/google/android/gms/ads/MobileAds;", "gms-ads"),
    ("Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;", "gms-ads-identifier"),
    ("Lcom/google/android/gms/location/FusedLocationProviderClient;", "gms-location"),
    ("Lcom/google/android/gms/auth/api/signin/GoogleSignIn;", "gms-auth"),
    ("Lcom/google/android/gms/analytics/GoogleAnalytics;", "gms-analytics"),
    ("Lcom/google/android/gms/common/GoogleApiAvailability;", "gms-base"),
    ("Lcom/facebook/FacebookSdk;", "facebook-core"),
    ("Lcom/facebook/login/LoginManager;", "facebook-login"),
    ("Lcom/facebook/share/widget/ShareDialog;", "facebook-share"),
    ("Lcom/facebook/ads/AdView;", "facebook-audience-network"),
    ("Lcom/appsflyer/AppsFlyerLib;", "appsflyer"),
    ("Lcom/adjust/sdk/Adjust;", "adjust"),
    ("Lio/branch/referral/Branch;", "branch"),
    ("Lcom/braze/Braze;", "braze"),
    ("Lcom/mixpanel/android/mpmetrics/MixpanelAPI;", "mixpanel"),
    ("Lcom/amplitude/api/Amplitude;", "amplitude"),
    ("Lcom/segment/analytics/Analytics;", "segment"),
    ("Lio/sentry/Sentry;", "sentry"),
    ("Lcom/crashlytics/android/Crashlytics;", "firebase-crashlytics"),
    ("Lcom/bugsnag/android/Bugsnag;", "bugsnag"),
    ("Lcom/newrelic/agent/android/NewRelic;", "newrelic"),
    ("Lcom/datadog/android/Datadog;", "datadog"),
    ("Lcom/onesignal/OneSignal;", "onesignal"),
    ("Lcom/urbanairship/UAirship;", "airship"),
    ("Lcom/unity3d/ads/UnityAds;", "unity-ads"),
    ("Lcom/applovin/sdk/AppLovinSdk;", "applovin"),
    ("Lcom/ironsource/mediationsdk/IronSource;", "ironsource"),
    ("Lcom/vungle/warren/Vungle;", "vungle"),
    ("Lcom/chartboost/sdk/Chartboost;", "chartboost"),
    ("Lcom/mbridge/msdk/MBridgeSDK;", "mintegral"),
    ("Lcom/inmobi/sdk/InMobiSdk;", "inmobi"),
    ("Lcom/stripe/android/PaymentConfiguration;", "stripe"),
    ("Lcom/paypal/android/sdk/payments/PayPalService;", "paypal"),
    ("Lcom/braintreepayments/api/BraintreeClient;", "braintree"),
    ("Lsqip/InAppPaymentsSdk;", "square-payments"),
    ("Lcom/mapbox/mapboxsdk/Mapbox;", "mapbox"),
    ("Lcom/here/sdk/mapview/MapView;", "here-sdk"),
    ("Lokhttp3/OkHttpClient;", "okhttp"),
    ("Lretrofit2/Retrofit;", "retrofit"),
    ("Lcom/bumptech/glide/Glide;", "glide"),
    ("Lcom/squareup/picasso/Picasso;", "picasso"),
    ("Lcom/facebook/drawee/view/SimpleDraweeView;", "facebook-fresco"),
    ("Lcom/google/gson/Gson;", "google-gson"),
    ("Lcom/fasterxml/jackson/databind/ObjectMapper;", "gson-fire-jackson"),
    ("Lio/reactivex/Observable;", "rxjava"),
    ("Lkotlin/Unit;", "kotlin-stdlib"),
    ("Lkotlinx/coroutines/Job;", "kotlinx-coroutines"),
    ("Landroidx/appcompat/app/AppCompatActivity;", "androidx-appcompat"),
    ("Landroidx/core/app/ActivityCompat;", "androidx-core"),
    ("Landroidx/work/WorkManager;", "androidx-work"),
    ("Landroidx/startup/Initializer;", "androidx-startup"),
    ("Landroidx/tracing/Trace;", "androidx"),
    ("Landroid/support/v4/app/Fragment;", "android-support"),
    ("Lcom/google/android/material/button/MaterialButton;", "google-material"),
    ("Lcom/google/android/exoplayer2/ExoPlayer;", "exoplayer"),
    ("Lcom/google/zxing/MultiFormatReader;", "google-zxing"),
    ("Lcom/airbnb/lottie/LottieAnimationView;", "lottie"),
]


@pytest.mark.parametrize(("descriptor", "sdk_id"), KNOWN_CLASSES)
def test_known_sdk_classes_match(catalog: SdkCatalog, descriptor: str, sdk_id: str) -> None:
    assert catalog.get(sdk_id) is not None, f"{sdk_id} missing from the catalog"
    found = catalog.match(descriptor)
    assert found is not None and found.id == sdk_id


def test_platform_classes_match_no_sdk(catalog: SdkCatalog) -> None:
    for cls in (
        "Landroid/app/Activity;",
        "Ljava/lang/String;",
        "Ljavax/crypto/Cipher;",
        "Lorg/json/JSONObject;",
        "Ldalvik/system/DexClassLoader;",
    ):
        assert catalog.match(cls) is None, cls
