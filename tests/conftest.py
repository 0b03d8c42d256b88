import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    # The suite sends hundreds of requests from one address: no rate limit here (it has tests of its own).
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), rate_limit_per_minute=0)
    return TestClient(create_app(settings))
