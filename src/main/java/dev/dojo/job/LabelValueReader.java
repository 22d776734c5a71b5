package dev.dojo.job;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a label's value only from a JSON string: a number or a boolean is refused (naming
 * {@code labels.<key>}) rather than quietly turned into text, so that {@code "keep": true} and
 * {@code "keep": "true"} are never mistaken for each other.
 */
class LabelValueReader extends ValueDeserializer<String> {

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
