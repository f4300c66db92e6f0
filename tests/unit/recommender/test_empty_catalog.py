"""A new installation has no items: every model must still fit and answer emptily."""

from recommender import (
    CatalogIndex,
    Competency,
    PathPlanner,
    Profile,
    Ranker,
    SkillRecord,
    Target,
    plan_learning_path,
)


def test_models_fit_and_answer_on_an_empty_catalog():
    index = CatalogIndex().fit([SkillRecord("aws", "Amazon Web Services")], [])
    target = Target((Competency("aws", 3, 1.0),))
    assert Ranker().fit(index).rank(Profile(), target) == []
    path = plan_learning_path(index, Profile(), target, planner=PathPlanner().fit(index))
    assert path.steps == []
    assert [(u.skill, u.code) for u in path.unmet] == [("aws", "no_active_item")]
    assert path.coverage == 0.0


def test_models_fit_on_an_empty_taxonomy():
    index = CatalogIndex().fit([], [])
    assert Ranker().fit(index).rank(Profile(), Target(())) == []
