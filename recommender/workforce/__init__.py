"""Workforce arithmetic over arrays: effective levels of many employees, gaps to many roles,
supply and demand per skill, mentors' cover and KPIs over time. No Flask, no database."""
