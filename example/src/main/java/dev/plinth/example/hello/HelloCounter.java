package dev.plinth.example.hello;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** One named visit counter of the hello page (table {@code hello_counter}, migration V1). */
@MappedEntity("hello_counter")
public record HelloCounter(@Id String name, long visits) {}
