from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("<int:task_pk>/tien-do/", views.task_progress_view, name="progress"),
]
