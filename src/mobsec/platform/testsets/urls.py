from django.urls import path

from . import views

app_name = "testsets"
urlpatterns = [
    path("", views.testset_list, name="list"),
    path("products/", views.product_list, name="products"),
    path("products/<str:product_id>/", views.product_detail, name="product"),
    path("results/<str:result_id>/", views.result_detail, name="result"),
    path("<str:testset_id>/", views.testset_detail, name="testset"),
    path("<str:testset_id>/import/", views.import_results, name="import"),
    path("<str:testset_id>/mobsec/", views.score_mobsec, name="mobsec"),
]
