FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# want "password in a URL \(16 chars\) written in ENV"
ENV DATABASE_URL=postgres://app:2RMZhYKYcwIBQxeG@db.internal:5432/app
# want "ENV REDIS_PASSWORD stores a credential"
ENV REDIS_PASSWORD=r3d1s-pa55w0rd
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
