"""Refuse an oversized upload before its body is read (the review queue takes press files up to 5 MB)."""

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

MAX_UPLOAD_BODY = 6 * 1024 * 1024  # the largest accepted file (5 MB) and the form around it


class RefuseOversizedUpload(FileUploadHandler):
    """First upload handler: a multipart body announced larger than MAX_UPLOAD_BODY is refused with 400.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so without this a 1 GB upload would be
    streamed to a temporary file before the form could say it is too large.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > MAX_UPLOAD_BODY:
            raise RequestDataTooBig(f"Upload of {content_length} bytes refused (at most {MAX_UPLOAD_BODY}).")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
