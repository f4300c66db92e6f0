"""Workforce records read in bulk for analytics: a few plain column selects per view, no ORM
objects and no query per employee; the arithmetic is :mod:`recommender.workforce`'s."""
