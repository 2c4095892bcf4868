FROM python:3.12-slim
# want "AWS access key ID AKIA… .* written in ENV"
ENV AWS_ACCESS_KEY_ID=AKIADKYAYQ5S37JMSNDD
# want "ENV AWS_SECRET_ACCESS_KEY stores a credential" "AWS secret access key \(40 chars\)"
ENV AWS_SECRET_ACCESS_KEY=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
ENV AWS_DEFAULT_REGION=eu-central-1
RUN pip install --no-cache-dir boto3
COPY sync.py /sync.py
CMD ["python", "/sync.py"]
