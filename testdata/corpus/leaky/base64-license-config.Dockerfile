# syntax=docker/dockerfile:1
# A license key "obfuscated" with base64 into the application's configuration.
FROM eclipse-temurin:21-jre
WORKDIR /opt/app
COPY build/libs/app.jar app.jar
RUN --mount=type=secret,id=license_key \
    mkdir -p config && \
# want error "secret license_key is written to /opt/app/config/license.properties by a redirect and stays in the image layer"
    echo "license.key=$(base64 -w0 /run/secrets/license_key)" > config/license.properties
CMD ["java", "-jar", "app.jar"]
