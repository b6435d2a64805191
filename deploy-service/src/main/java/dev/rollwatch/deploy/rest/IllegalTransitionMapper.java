package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.IllegalTransitionException;
import dev.rollwatch.platform.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A move the state machine refuses is the client's conflict with the deployment's state: 409, nothing changed. */
@Provider
public class IllegalTransitionMapper implements ExceptionMapper<IllegalTransitionException> {
    @Override
    public Response toResponse(IllegalTransitionException e) {
        return Problem.of(409, "illegal-transition", "Conflict", e.getMessage())
                .with("status", e.from().name()).toResponse();
    }
}
