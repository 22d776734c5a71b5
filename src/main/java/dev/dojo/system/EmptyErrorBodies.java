package dev.dojo.system;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * An error answered with no body at all (the actuator's 404 for a metric or health group that does
 * not exist) gets a problem body, like every other error.
 */
@ControllerAdvice
class EmptyErrorBodies implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
                                  Class<? extends HttpMessageConverter<?>> selectedConverterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (body != null || HttpMethod.HEAD.equals(request.getMethod()) || !(response instanceof ServletServerHttpResponse servlet)) {
            return body;
        }
        HttpStatus status = HttpStatus.resolve(servlet.getServletResponse().getStatus());
        if (status == null || !status.isError()) {
            return body;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ProblemResponses.detail(status));
        problem.setTitle(status.getReasonPhrase());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return problem;
    }
}
