# syntax=docker/dockerfile:1
FROM python:3.11-slim AS weights
RUN pip install --no-cache-dir huggingface_hub==0.26.2
RUN --mount=type=secret,id=hf_token,env=HF_TOKEN \
    python -c "from huggingface_hub import snapshot_download; snapshot_download('acme/classifier', local_dir='/models/classifier')"

FROM python:3.11-slim
ENV TRANSFORMERS_OFFLINE=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
COPY --from=weights /models /models
COPY serve.py /srv/serve.py
CMD ["python", "/srv/serve.py"]
