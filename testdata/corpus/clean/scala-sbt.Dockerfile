FROM sbtscala/scala-sbt:eclipse-temurin-21.0.5_11_1.10.5_3.5.2 AS build
WORKDIR /build
COPY build.sbt .
COPY project project
RUN --mount=type=secret,id=sbt_credentials,target=/root/.sbt/.credentials sbt update
COPY src src
RUN sbt assembly

FROM eclipse-temurin:21-jre
COPY --from=build /build/target/scala-3.5.2/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
