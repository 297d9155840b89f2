# One image for web, worker, beat and the `souq` operator command (the command differs per
# service). It ships the product only: devstack/ (local services) and bench/ stay in the checkout.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY service service
COPY indexer indexer
COPY workers workers
COPY search_config search_config
COPY souq_cli souq_cli
RUN pip install --no-cache-dir .
RUN useradd --create-home souq
USER souq
EXPOSE 8000
CMD ["granian", "--interface", "wsgi", "--no-ws", "--factory", "--host", "0.0.0.0", "--port", "8000", "--workers", "1", "--blocking-threads", "5", "--respawn-failed-workers", "service.app:create_app_from_env"]
