FROM python:3.11-alpine
RUN apk add --no-cache build-base libffi-dev
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app.py wsgi.py ./
COPY templates templates
COPY static static
ENV FLASK_ENV=production
ENV SECRET_KEY_FILE=/run/secrets/flask_secret_key
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost:5000/healthz || exit 1
CMD ["gunicorn", "-w", "4", "-b", "0.0.0.0:5000", "wsgi:app"]
