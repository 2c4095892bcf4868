FROM docker:27-cli
# want warning "COPY may copy .docker/config.json \(Docker registry credentials\)"
COPY .docker/config.json /root/.docker/config.json
# want "ENV DOCKER_PASSWORD stores a credential"
ENV DOCKER_PASSWORD=dckr-pw-2RMZhYKY
# want "Docker Hub access token dckr_pat_… \(36 chars\) written in RUN"
# want "docker login stores Docker registry credentials in /root/.docker/config.json, which stays in the image layer"
RUN echo dckr_pat_yGf3azU3iQOpMN0PZLqy1WwMZaM | docker login -u acmebot --password-stdin
