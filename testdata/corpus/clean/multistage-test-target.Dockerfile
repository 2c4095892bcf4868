FROM python:3.12 AS base
WORKDIR /app
COPY requirements.txt requirements-dev.txt ./
RUN pip install -r requirements.txt

FROM base AS test
RUN pip install -r requirements-dev.txt
COPY . .
ENV DATABASE_URL=postgres://app@localhost:5432/app_test
RUN pytest -q

FROM base AS release
COPY src/ src/
CMD ["python", "-m", "src"]
