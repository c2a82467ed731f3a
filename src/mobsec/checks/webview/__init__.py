"""WebView checks: settings that widen what web content can do, JavaScript bridges, URLs from
other apps reaching a WebView, and WebViewClient/WebChromeClient callbacks that trust the page.

Every decision about a value (``setJavaScriptEnabled(true)``, a URL that came from an Intent)
is made on the values data flow says reach the call, never on strings found elsewhere.
"""
