from django.urls import path

from ..views import building
from .paths import BASE, ONE

SECTION = ONE + "sections/<int:section_id>/"
QUESTION = ONE + "questions/<int:question_id>/"

urlpatterns: list = [
    path(BASE + "manage/", building.manage, name="survey-manage"),
    path(BASE + "new/", building.new, name="survey-new"),
    path(ONE + "settings/", building.settings, name="survey-settings"),
    path(ONE + "build/", building.build, name="survey-build"),
    path(ONE + "sections/add/", building.section_add, name="survey-section-add"),
    path(SECTION, building.section_edit, name="survey-section-edit"),
    path(SECTION + "remove/", building.section_remove, name="survey-section-remove"),
    path(SECTION + "move/", building.section_move, name="survey-section-move"),
    path(SECTION + "questions/add/", building.question_add,
         name="survey-question-add"),
    path(QUESTION, building.question_edit, name="survey-question-edit"),
    path(QUESTION + "remove/", building.question_remove,
         name="survey-question-remove"),
    path(QUESTION + "move/", building.question_move, name="survey-question-move"),
    path(ONE + "open/", building.open_, name="survey-open"),
    path(ONE + "close/", building.close, name="survey-close"),
    path(ONE + "link/", building.link, name="survey-link"),
    path(ONE + "link/new/", building.new_link, name="survey-new-link"),
    path(ONE + "delete/", building.delete, name="survey-delete"),
]
